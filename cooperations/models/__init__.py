"""The fiches and their reference tables."""

from lib.locking import ConcurrentEditError

from . import rights
from .cooperation import Cooperation
from .derived import FacetCount, FacetKey, SimilarFiches
from .participation import OutcomeFigure, Participation
from .reference import CooperationForm, Level, LevelSheet, Source
from .search_record import SearchRecord
from .synonym import Synonym

__all__ = [
    "ConcurrentEditError",
    "Cooperation",
    "CooperationForm",
    "FacetCount",
    "FacetKey",
    "Level",
    "LevelSheet",
    "OutcomeFigure",
    "Participation",
    "SearchRecord",
    "SimilarFiches",
    "Source",
    "Synonym",
    "rights",
]
