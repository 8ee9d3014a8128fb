"""Resources and projects: the other two lists (资源清单, 项目清单)."""
