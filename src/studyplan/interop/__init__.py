"""What studyplan writes and reads for other tools: calendars, markdown, packages."""
