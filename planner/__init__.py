"""Trekbot's coaching brain: pure functions from profile, history and a date to a plan."""

from planner.api import build_plan, clear_caches, session_for, swap_check, week_of
from planner.history import History, LogEntry, LogKind
from planner.lead import LeadTime, lead_time
from planner.phases import Phase
from planner.plan import Plan, Week
from planner.profile import Grade, Joint, Profile, Running
from planner.readiness import Readiness, readiness
from planner.safety import PainAdvice, PainLevel, SickAdvice, pain_advice, sickness_advice
from planner.sessions import Exercise, Session, SessionType, rest_day
from planner.swaps import SwapCheck
from planner.targets import Targets, targets
from planner.verdict import Verdict, VerdictAnswer, should_run

__all__ = [
    "Exercise", "Grade", "History", "Joint", "LeadTime", "LogEntry", "LogKind", "PainAdvice",
    "PainLevel",
    "Phase", "Plan", "Profile", "Readiness", "Running", "Session", "SessionType", "SickAdvice",
    "SwapCheck",
    "Targets", "Verdict", "VerdictAnswer", "Week", "build_plan", "clear_caches", "lead_time",
    "pain_advice", "readiness", "rest_day", "session_for", "should_run", "sickness_advice",
    "swap_check", "targets", "week_of",
]
