"""torch nn.Modules behind the block specs. Imported only when a block is built (torch is heavy)."""
