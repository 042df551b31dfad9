// zh-CN by default; English for the few technicians and trainers who prefer it. The choice is kept on the phone.
const zh = {
  login: '登录', username: '用户名', password: '密码', loginFailed: '用户名或密码错误', logout: '退出',
  online: '在线', offline: '离线', waiting: '待发送', sending: '发送中', newOrders: '新派工单', todayOrders: '今日工单',
  noOrders: '暂无工单', loading: '加载中…', offlineData: '离线数据(上次同步 {0})',
  due: '剩余 {0}', overdue: '已超时 {0}', deadline: '截止', appointment: '预约', requested: '客户期望',
  accept: '接单', reject: '拒单', reason: '原因', rejectReason: '拒单原因', confirmReject: '确认拒单',
  call: '拨打客户电话', contactOutcome: '联系结果', reached: '已联系上,约定上门时间', unreachable: '联系不上(请调度确认)',
  start: '开始', end: '结束', notes: '备注', saveContact: '记录联系结果',
  reschedule: '改约', consent: '客户已同意改约', saveReschedule: '确认改约', consentNeeded: '改约必须取得客户同意',
  map: '导航', checkIn: '到达签到(定位)', locating: '正在定位…', noLocation: '无法获取定位:{0}',
  safety: '安全检查', quality: '安装质量检查', finish: '完工检查', testRun: '试机时长(分钟)', testRunMin: '至少 {0} 分钟',
  photos: '现场照片', addPhoto: '拍照', barcode: '机身条码', scan: '扫码', typeBarcode: '输入或扫描条码', stopScan: '停止扫码',
  scanFailed: '无法打开摄像头,请手动输入', parts: '配件与收费', priceItem: '价目表项目', qty: '数量', amount: '金额(元)',
  add: '添加', remove: '删除', free: '保内免费', standard: '标准价 ¥{0}', overCap: '收费 ¥{0} 超过上限 ¥{1}(标准价的 {2} 倍),不能添加',
  resolution: '处理结果', faultCategory: '故障类别', signature: '客户签名', clear: '清除', sticker: '已贴售后服务贴',
  complete: '完成工单', emptyTrip: '空单(未发现故障)', emptyReason: '空单说明', recordEmptyTrip: '记录空单',
  missing: '还缺:{0}', m_photos: '照片', m_barcode: '条码', m_signature: '客户签名', m_sticker: '服务贴确认', m_testRun: '试机时长', m_invoice: '发票号', invoice: '发票号(收费必填)',
  m_resolution: '处理结果', m_gps: '定位', completedDone: '工单已完成', report: '服务报告', reportLink: '生成客户报告链接',
  share: '分享', openReport: '查看报告 PDF', linkExpires: '有效期至 {0}',
  conflict: '冲突:该工单已被调度改派或已变更。未发送的 {0} 个操作已停止,不会覆盖服务器上的数据。', discard: '放弃本地操作并刷新',
  failed: '发送被拒绝:{0}', fixAndRetry: '修改后重新提交', unsentLogout: '还有待发送的操作,联网发送后再退出', queued: '已保存,待发送', back: '返回', month: '我的本月', completedCount: '本月完成 {0} 单', payLedger: '本月工资台账', ledgerTotal: '本月合计 {0}',
  leadTitle: '登记外接单', leadWhy: '客户直接找你的活,请先登记为公司工单,由调度派工(私自接活将被处罚)。', leadTypeLabel: '类型', leadLineLabel: '产品', lines: { ac: '空调', purifier: '净水器' }, leadName: '客户姓名', leadPhone: '客户电话', leadAddress: '地址', leadModel: '型号', leadPurchaseDate: '购买日期', leadFault: '故障/需求', leadNote: '备注', leadNoteHint: '如:邻居介绍', leadSubmit: '登记', leadRegistered: '已登记为工单 {0},等待调度派工', leadNeedsNetwork: '登记需要联网,请稍后再试', leadLink: '登记外接单',
  officeCheckIn: '到公司签到', checkedInOffice: '已签到', moneyDueNow: '已签到,请立即向财务上交:{0}', checkInOfficeFailed: '签到失败,请联网后重试',
  breaches: '超时记录', fines: '拟处罚', noData: '暂无数据', statuses: {
    new: '待派工', dispatched: '待接单', accepted: '已接单', scheduled: '已预约', inProgress: '服务中', completed: '已完成',
    visited: '已回访', closed: '已关闭', cancelled: '已取消',
  }, types: { install: '安装', repair: '维修', maintenance: '保养', inspection: '检测' },
  actions: {
    accept: '接单', reject: '拒单', contact: '联系客户', reschedule: '改约', 'check-in': '签到', complete: '完工', 'empty-trip': '空单', photo: '照片',
  },
  clocks: { dispatch: '派工', acceptance: '接单', contact: '联系客户', visit: '上门', processing: '处理', completion: '完工', completionTarget: '完工目标', returnVisit: '回访' },
  clockStates: { running: '计时中', met: '已达成', breached: '已超时', paused: '已暂停' },
  inWarranty: '保内', outWarranty: '保外', fault: '故障', product: '产品', address: '地址', customer: '客户',
  unknownError: '出错了,请重试', required: '必填', minutes: '{0}分', hours: '{0}小时{1}分', days: '{0}天{1}小时',
};

const en = {
  login: 'Log in', username: 'User name', password: 'Password', loginFailed: 'Wrong user name or password', logout: 'Log out',
  online: 'Online', offline: 'Offline', waiting: 'Waiting to send', sending: 'Sending', newOrders: 'New dispatch orders', todayOrders: "Today's orders",
  noOrders: 'No orders', loading: 'Loading…', offlineData: 'Offline data (last sync {0})',
  due: '{0} left', overdue: '{0} overdue', deadline: 'Due', appointment: 'Appointment', requested: 'Requested',
  accept: 'Accept', reject: 'Reject', reason: 'Reason', rejectReason: 'Reason for rejecting', confirmReject: 'Reject order',
  call: 'Call customer', contactOutcome: 'Call outcome', reached: 'Reached, appointment agreed', unreachable: 'Unreachable (dispatcher confirms)',
  start: 'Start', end: 'End', notes: 'Notes', saveContact: 'Record outcome',
  reschedule: 'Reschedule', consent: 'Customer agreed to the new time', saveReschedule: 'Reschedule', consentNeeded: "A new time needs the customer's consent",
  map: 'Navigate', checkIn: 'Check in (location)', locating: 'Locating…', noLocation: 'No location: {0}',
  safety: 'Safety', quality: 'Installation quality', finish: 'Finishing', testRun: 'Test run (minutes)', testRunMin: 'at least {0} minutes',
  photos: 'Photos', addPhoto: 'Take photo', barcode: 'Unit barcode', scan: 'Scan', typeBarcode: 'Type or scan the barcode', stopScan: 'Stop scanning',
  scanFailed: 'Camera unavailable, type the code', parts: 'Parts and charges', priceItem: 'Price list item', qty: 'Qty', amount: 'Amount (CNY)',
  add: 'Add', remove: 'Remove', free: 'Free (in warranty)', standard: 'standard ¥{0}', overCap: '¥{0} is above the cap of ¥{1} ({2}× the standard price); not added',
  resolution: 'Work done', faultCategory: 'Fault category', signature: "Customer's signature", clear: 'Clear', sticker: 'Service sticker applied',
  complete: 'Complete order', emptyTrip: 'Empty trip (no fault found)', emptyReason: 'What was found', recordEmptyTrip: 'Record empty trip',
  missing: 'Still missing: {0}', m_photos: 'photo', m_barcode: 'barcode', m_signature: 'signature', m_sticker: 'service sticker', m_testRun: 'test run', m_invoice: 'invoice number', invoice: 'Invoice number (required when charging)',
  m_resolution: 'work done', m_gps: 'location', completedDone: 'Order completed', report: 'Service report', reportLink: 'Create customer link',
  share: 'Share', openReport: 'Open report PDF', linkExpires: 'valid until {0}',
  conflict: 'Conflict: the dispatcher transferred or changed this order. {0} unsent action(s) stopped; nothing was overwritten.', discard: 'Discard local actions and reload',
  failed: 'Refused by the server: {0}', fixAndRetry: 'Correct and send again', unsentLogout: 'Some actions are not sent yet; log out after they are', queued: 'Saved, waiting to send', back: 'Back', month: 'My month', completedCount: '{0} completed this month', payLedger: 'Pay ledger this month', ledgerTotal: 'Month total {0}',
  leadTitle: 'Register an outside job', leadWhy: 'A customer asked you directly? Register it as a company order first; the dispatcher sends it (private jobs are fined).', leadTypeLabel: 'Type', leadLineLabel: 'Product', lines: { ac: 'Air conditioner', purifier: 'Water purifier' }, leadName: 'Customer name', leadPhone: 'Customer phone', leadAddress: 'Address', leadModel: 'Model', leadPurchaseDate: 'Purchase date', leadFault: 'Fault / request', leadNote: 'Note', leadNoteHint: 'e.g. a neighbour referred them', leadSubmit: 'Register', leadRegistered: 'Registered as order {0}; waiting for dispatch', leadNeedsNetwork: 'Registering needs the network; try again shortly', leadLink: 'Register an outside job',
  officeCheckIn: 'Check in at the office', checkedInOffice: 'Checked in', moneyDueNow: 'Checked in. Hand this to finance now: {0}', checkInOfficeFailed: 'Check-in failed; try again when online',
  breaches: 'Breaches', fines: 'Proposed fines', noData: 'No data', statuses: {
    new: 'New', dispatched: 'Dispatched', accepted: 'Accepted', scheduled: 'Scheduled', inProgress: 'In progress', completed: 'Completed',
    visited: 'Visited', closed: 'Closed', cancelled: 'Cancelled',
  }, types: { install: 'Install', repair: 'Repair', maintenance: 'Maintenance', inspection: 'Inspection' },
  actions: {
    accept: 'Accept', reject: 'Reject', contact: 'Contact', reschedule: 'Reschedule', 'check-in': 'Check-in', complete: 'Complete', 'empty-trip': 'Empty trip', photo: 'Photo',
  },
  clocks: { dispatch: 'Dispatch', acceptance: 'Acceptance', contact: 'Contact', visit: 'Visit', processing: 'Processing', completion: 'Completion', completionTarget: 'Completion target', returnVisit: 'Return visit' },
  clockStates: { running: 'running', met: 'met', breached: 'breached', paused: 'paused' },
  inWarranty: 'In warranty', outWarranty: 'Out of warranty', fault: 'Fault', product: 'Product', address: 'Address', customer: 'Customer',
  unknownError: 'Something went wrong, try again', required: 'required', minutes: '{0} min', hours: '{0} h {1} min', days: '{0} d {1} h',
};

let lang = localStorage.getItem('fl.lang') === 'en' ? 'en' : 'zh';
export const getLang = () => lang;
export function setLang(l) { lang = l; localStorage.setItem('fl.lang', l); document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN'; }

/** t('due', '1h') — a message in the current language with {0}, {1} filled in. */
export function t(key, ...args) {
  const dict = lang === 'en' ? en : zh;
  const path = key.split('.');
  let v = dict;
  for (const p of path) v = v?.[p];
  if (typeof v !== 'string') v = path[path.length - 1]; // an unknown clock name or state is shown as sent
  return v.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** A duration in minutes as "2小时5分". */
export function duration(minutes) {
  const m = Math.abs(Math.round(minutes));
  if (m < 60) return t('minutes', m);
  if (m < 24 * 60) return t('hours', Math.floor(m / 60), m % 60);
  return t('days', Math.floor(m / 1440), Math.floor((m % 1440) / 60));
}
