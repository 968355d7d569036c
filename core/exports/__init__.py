"""Report exports as background tasks: the requester's spreadsheet is made by the task worker,
kept privately and offered on the admin page "Mijn exports"."""
