from shegong.cli import main

raise SystemExit(main())
