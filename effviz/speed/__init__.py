"""Speed: FLOPs are not speed. Measured CPU latency, the memory a block reads and writes, and ShuffleNet v2's
four guidelines run live.

    latency.py        measured CPU latency of a block spec or a module (effviz.latency, the old name)
    memory_access.py  the elements a block reads and writes, from its graph, checked against an aten trace
    guidelines.py     ShuffleNet v2's four guidelines as experiments: set-ups, measurements on a stated
                      convolution backend, verdicts over every step, the drift between rounds
    guideline_tables.py  the paper's Tables 1-4 (GPU and ARM speeds of every set-up), with their source

Importing this package imports nothing; torch is imported when something is measured."""
