// placeholder: replaced by the auth layer's sources
