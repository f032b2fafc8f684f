"""analysis stage"""
