"""The consortium's 运行管理 page and the lists of consortia after 备案: they read every sub-domain."""
