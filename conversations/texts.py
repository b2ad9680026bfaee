"""Reply texts shared across the conversation. Step-specific texts live beside their steps."""

SORRY = (
    "Sorry, something went wrong on my side while reading that. "
    "Please send it again in a moment."
)

HELP = (
    "I'm your trek coach. I build a training plan for your trek, send the day's session "
    "each morning and adjust when life gets in the way.\n"
    "Say *today*, *plan*, *progress*, *done*, *skip*, or ask *should I run today?*\n"
    "/restart starts the questions again."
)

NOT_TEXT = "I can only read text for now. Please type your answer."
