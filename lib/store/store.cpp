// placeholder: replaced by the store layer's sources
