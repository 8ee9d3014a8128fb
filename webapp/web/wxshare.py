"""分享给邻居 inside WeChat's browser: the JS-SDK's wx.config (signed by wechatpy from the
公众号's ticket) and the share card of the page, for pages that offer a share."""
from flask import request, url_for

from ..services.platform import wechat
from .public import base_url
from .ui import in_wechat


def share(title: str, desc: str) -> dict | None:
    """What partials/_wx_share.html needs, or None outside WeChat or with WeChat off."""
    if not in_wechat() or not wechat.enabled():
        return None
    link = base_url() + request.full_path.rstrip("?")  # the address the browser shows
    config = wechat.js_config(link)
    if config is None:
        return None
    return {"config": config, "card": {
        "title": title[:60], "desc": desc[:100], "link": link,
        "imgUrl": base_url() + url_for("static", filename="icons/icon-192.png")}}
