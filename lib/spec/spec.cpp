// placeholder: replaced by the spec layer's sources
