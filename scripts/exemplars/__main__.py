import sys

from exemplars.cli import main

sys.exit(main())
