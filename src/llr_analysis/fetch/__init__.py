"""fetch stage"""
