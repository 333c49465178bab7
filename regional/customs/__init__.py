"""Import and export (进出口): customs declarations, customs recordation (知识产权海关备案), export risk warnings."""
