"""`python -m desktop.cli`: the same as the `cluster-atlas` command."""

from desktop.cli.main import main

raise SystemExit(main())
