"""Exhibitions (大型展会): shows, exhibitors, filed exhibits and their pre-show screening, the complaint station."""
