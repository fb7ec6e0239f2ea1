// placeholder: replaced by the sync layer's sources
