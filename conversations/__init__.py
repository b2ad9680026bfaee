"""The dialogue: message types, states, onboarding, intents, reply texts and the engine."""
