from studyplan.cli import main

raise SystemExit(main())
