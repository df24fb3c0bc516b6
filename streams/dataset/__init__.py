"""Real-news data set: the training pool cut into passages, labels as offsets, annotation and splits."""
