"""Review mode in the GUI (:mod:`annotator.ui.review.mode`)."""
