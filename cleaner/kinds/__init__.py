"""The registry of rule kinds: a rule file's ``kind = "..."`` names one of these."""

from __future__ import annotations

from cleaner.kinds.base import RuleKind
from cleaner.kinds.capture import Capture
from cleaner.kinds.cut_block import CutBlock
from cleaner.kinds.drop_caption import DropCaption
from cleaner.kinds.drop_echo import DropEcho
from cleaner.kinds.drop_label import DropLabel
from cleaner.kinds.drop_line import DropLine
from cleaner.kinds.drop_menu import DropMenu
from cleaner.kinds.drop_repeated import DropRepeated
from cleaner.kinds.rejoin_paragraph import RejoinParagraph
from cleaner.kinds.substitute import Substitute

KINDS: dict[str, type[RuleKind]] = {
    kind.KIND: kind
    for kind in (
        DropLine,
        DropCaption,
        CutBlock,
        Substitute,
        Capture,
        DropRepeated,
        RejoinParagraph,
        DropEcho,
        DropMenu,
        DropLabel,
    )
}

__all__ = ["KINDS", "RuleKind"]
