// The exhibition complaint board reloads itself every 30 seconds (no inline script: the CSP forbids it).
window.setTimeout(function () { window.location.reload(); }, 30000);
