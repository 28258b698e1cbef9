"""解散 (§六（三））: asked by the lead, recorded by the city, never while a project is 在研."""
