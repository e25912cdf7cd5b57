"""Study plans: the plan file format, its checks, and the week scheduler."""
