// placeholder: replaced by the git layer's sources
