"""Steps for other tools' pipelines; each module imports its tool, installed separately."""
