"""Regional case handling (立案 → 调查 → 处理 → 结案)."""
