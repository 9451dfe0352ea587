"""The bottom layer, below the scenario format: where coach's files live (paths), text from a
file made inert before it reaches a terminal, a CSV cell or Markdown (sanitise), and metric
values, changes and small charts written as plain words (display). It imports nothing else
from coach at run time."""
