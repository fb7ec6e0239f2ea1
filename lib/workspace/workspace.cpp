// placeholder: replaced by the workspace layer's sources
