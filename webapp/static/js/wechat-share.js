// 分享给邻居 in WeChat's browser: configure the JS-SDK with the server's signature, set the
// share card, and show where WeChat's own share menu is (a page cannot open it itself).
(function () {
  var el = document.getElementById('wx-share');
  if (!el) return;
  var wx = window.wx || (window.module && window.module.exports);
  var btn = document.getElementById('wx-share-btn');
  var hint = document.getElementById('wx-share-hint');
  if (btn && hint) btn.addEventListener('click', function () { hint.hidden = false; });
  if (!wx || !wx.config) return;
  var config = JSON.parse(el.dataset.config);
  var card = JSON.parse(el.dataset.card);
  config.debug = false;
  config.jsApiList = ['updateAppMessageShareData', 'updateTimelineShareData'];
  wx.config(config);
  wx.ready(function () {
    wx.updateAppMessageShareData(card);
    wx.updateTimelineShareData({ title: card.title, link: card.link, imgUrl: card.imgUrl });
  });
})();
