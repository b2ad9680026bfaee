"""Words the bot shows only on WhatsApp: list button, numbered choices, template fallback."""

# The button that opens a list of choices (WhatsApp allows 20 characters).
LIST_BUTTON = "Choose"

# Body of a button message when the reply itself had no text.
CHOOSE_PROMPT = "Pick one:"

# Above a numbered list when there are more choices than WhatsApp's list can hold.
PICK_A_NUMBER = "Reply with a number:"

# The template's body variable when a scheduled prompt had no text.
TEMPLATE_FALLBACK = "your session for today is ready"

# The heading of the list's one section (24 characters at most).
LIST_SECTION = "Options"

# The approved template's quick-reply buttons, in their order: (choice id sent back as the
# payload, the button text to have approved). A tap arrives like a tap on a normal button.
TEMPLATE_BUTTONS = (("done", "Done"), ("skip", "Skip"), ("should_run", "Should I run today?"))
