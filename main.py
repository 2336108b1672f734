"""Launch Cluster Atlas: `python main.py [BUNDLE]` (the demo bundle when none is given)."""
from desktop.app import main

raise SystemExit(main())
