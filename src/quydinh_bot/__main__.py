"""`python -m quydinh_bot …` is the `quydinh-bot` command."""
from quydinh_bot.shells.cli import main

raise SystemExit(main())
