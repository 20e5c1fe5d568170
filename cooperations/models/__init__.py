"""The fiches and their reference tables."""

from lib.locking import ConcurrentEditError

from . import rights
from .cooperation import Cooperation
from .participation import OutcomeFigure, Participation
from .reference import CooperationForm, Level, LevelSheet, Source
from .search_record import SearchRecord
from .synonym import Synonym

__all__ = [
    "ConcurrentEditError",
    "Cooperation",
    "CooperationForm",
    "Level",
    "LevelSheet",
    "OutcomeFigure",
    "Participation",
    "SearchRecord",
    "Source",
    "Synonym",
    "rights",
]
