"""The dialogue: states, intents, reply texts and the engine."""
