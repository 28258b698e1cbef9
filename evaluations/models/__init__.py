"""After 备案: annual reports, the 绩效评价 and its experts, revocations, the projects a consortium carries,
its member changes, dissolution requests and 科技联络员 — one module per sub-domain.

Data and database constraints only; the use cases are in each sub-domain's services, the rules in rules.py.
"""

from .base import LeadRequest, ScopedByConsortium
from .dissolution import DissolutionRequest
from .grading import (
    Evaluation,
    EvaluationCriterion,
    ExpertPanel,
    GradeCorrection,
    PanelAssignment,
    PanelScore,
    Recommendation,
    third_party_path,
)
from .legacy import FiledImport, ImportedConsortium, ImportStatus
from .liaison import FollowUp, LiaisonAssignment, LiaisonOpinion, LiaisonQuerySet, OpinionOn, WorkKind, WorkRecord
from .membership import MemberChange, MemberChangeItem, MemberChangeSignatory
from .reports import AnnualReport, ReportQuerySet, ReportReminder
from .sanctions import Revocation
from .support import SupportProject, SupportRecord

__all__ = [
    "AnnualReport", "DissolutionRequest", "Evaluation", "EvaluationCriterion",
    "ExpertPanel", "FiledImport", "FollowUp", "GradeCorrection", "ImportStatus", "ImportedConsortium", "LeadRequest", "LiaisonAssignment",
    "LiaisonOpinion", "LiaisonQuerySet", "MemberChange", "MemberChangeItem", "MemberChangeSignatory", "OpinionOn", "PanelAssignment",
    "PanelScore", "Recommendation", "ReportQuerySet", "ReportReminder", "Revocation", "ScopedByConsortium", "SupportProject", "SupportRecord",
    "WorkKind", "WorkRecord", "third_party_path",
]
