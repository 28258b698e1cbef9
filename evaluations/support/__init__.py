"""The 市级以上 projects a consortium carries, with the caps of §五."""
