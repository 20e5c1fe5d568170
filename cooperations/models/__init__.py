"""The fiches and their reference tables."""

from lib.locking import ConcurrentEditError

from .cooperation import Cooperation
from .derived import FacetCount, FacetKey, SimilarFiches
from .participation import OutcomeFigure, Participation
from .reference import CooperationForm, Level, LevelSheet, Source
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
    "SimilarFiches",
    "Source",
    "Synonym",
]
