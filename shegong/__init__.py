"""shegong: 社工站培训与评估课程平台 / training and evaluation platform for social work stations.

The core package holds what every part shares: the message catalogue, settings,
workspace paths, domain errors, the CJK font helper, progress display and the CLI.
"""

__version__ = "0.1.0"
