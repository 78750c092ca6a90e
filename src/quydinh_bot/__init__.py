"""quydinh-bot: hỏi đáp trên văn bản quy định của Đảng và của tỉnh."""
__version__ = "0.1.0"
