"""Answer parsers for onboarding: one module per kind of answer, each pure and fast.

Every parser takes the person's raw text and returns a value or None ("not understood").
Cheap regular expressions and small word tables come first; slow helpers (dateparser,
the city list) are imported only when those fail.
"""
