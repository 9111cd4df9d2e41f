"""shegong.datasets: seeded simulated station data (placeholder until the generator lands)."""
