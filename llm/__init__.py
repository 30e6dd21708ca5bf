"""The model runtime: the factory that builds each role's tiers, the local -> cloud -> offline chain, the endpoint
guard, deadlines, cost and health. Builds on core/ only."""
