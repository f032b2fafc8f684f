"""report stage"""
