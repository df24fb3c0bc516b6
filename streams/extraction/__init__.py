"""Pure event extraction: article text -> events. No faust, kafka or prometheus imports here."""

# CONTRACT (implemented by the extraction engine; the agent and the CLI call exactly this):
#
#   EXTRACTOR_VERSION: str
#   class ExtractionTimeout(Exception)          raised when time_budget_seconds is exceeded
#   @dataclass(frozen=True) class ExtractionResult:
#       lang: str                  ISO 639-1 code used ("und" when undetermined)
#       supported: bool            False when no lexicon exists for lang (events is then empty)
#       events: tuple[Event, ...]  deterministic order
#   def extract(article: schemas.Article, *, time_budget_seconds: float | None = None) -> ExtractionResult
