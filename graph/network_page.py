"""Transition only: the network page moved to :mod:`biocluster_kg.graph.page`.

Kept so that branches written against the old module path still import while they are
merged; new code imports ``biocluster_kg.graph.page``. Delete once nothing imports it
(``grep -rn graph.network_page``).
"""

from biocluster_kg.graph.page import *  # noqa: F403
from biocluster_kg.graph.page import __all__  # noqa: F401
