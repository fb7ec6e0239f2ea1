// placeholder: replaced by the http layer's sources
