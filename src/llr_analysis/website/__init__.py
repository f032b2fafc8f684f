"""website stage"""
