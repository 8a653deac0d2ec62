"""Knowledge sharing (Fælles om Ledelse: systematisk videndeling): practices across schools,
adopting another school's initiative into the own strategy, and where practices spread."""
