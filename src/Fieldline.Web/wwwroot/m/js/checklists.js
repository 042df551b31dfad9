// The on-site checklists of regulations.md, with the numbers taken from the order's policy version.
// `block: true` items must be ticked before the phone lets the order be completed (the regulation's "(block)").
import { getLang } from './i18n.js';

const pick = (zh, en) => (getLang() === 'en' ? en : zh);

export function checklists(order, policy) {
  const p = policy?.parameters || {};
  const s = p.safety || {};
  const ins = p.installation || {};
  const belt = s.safetyBeltAboveMeters ?? 2.5;
  const sign = s.lockoutSignText || '禁止开机,正在检修';
  const screws = ins.indoorPlateMinScrews || { brick: 7, reinforcedConcrete: 5 };
  const insulation = ins.ceilingCopperPipeInsulationMm ?? 13;
  const testRun = p.completion?.testRunMinMinutes ?? 30;
  const lists = [{
    id: 'safety', rule: 'SAF',
    items: [
      { key: 'powerOff', block: true, rule: 'SAF-12/18', text: pick(`拆机壳前已断电,并在室内机挂「${sign}」警示牌`, `Power off before opening the casing; "${sign}" sign hung`) },
      { key: 'safetyBelt', block: true, rule: 'SAF-01', text: pick(`高于 ${belt} 米作业已系安全带(无高处作业也请勾选)`, `Safety belt on for work above ${belt} m (tick if no work at height)`) },
      { key: 'toolsSecured', rule: 'SAF-05', text: pick('高处工具材料已防坠落', 'Tools and materials at height secured against falling') },
      { key: 'leakageCheck', block: true, rule: 'SAF-07/10', text: pick('电气安全检查完成,机壳无漏电', 'Electrical safety check done, no leakage current') },
    ],
  }];
  if (order.type === 'install') {
    lists.push({
      id: 'quality', rule: 'INS',
      items: [
        { key: 'modelMatchesInvoice', block: true, rule: 'INS-01', text: pick('机型与购机发票一致(不以包装箱为准)', 'Model matches the invoice (not the carton)') },
        { key: 'breakerAndEarth', block: true, rule: 'INS-02/17', text: pick(`电源容量、专用线路、线径符合;${ins.dedicatedBreakerAndRcdFromHP ?? 3} 匹及以上有空开和漏保;有接地线`, `Supply, dedicated circuit and cable size OK; breaker + RCD from ${ins.dedicatedBreakerAndRcdFromHP ?? 3} HP; earth wire present`) },
        { key: 'capacityMatchesRoom', rule: 'INS-03', text: pick('匹数与房间面积相符(不符时已取得客户手写确认)', "Capacity suits the room (else the customer's handwritten confirmation)") },
        { key: 'powerOnTest', block: true, rule: 'INS-04', text: pick('安装前室内机已通电试机', 'Indoor unit powered and tested before installing') },
        { key: 'plateScrews', block: true, rule: 'INS-10/20', text: pick(`挂板螺钉:砖墙 ≥ ${screws.brick} 颗、混凝土 ≥ ${screws.reinforcedConcrete} 颗;外机支架膨胀螺栓数量足够`, `Plate screws: brick ≥ ${screws.brick}, concrete ≥ ${screws.reinforcedConcrete}; enough bracket bolts`) },
        { key: 'insulation', rule: 'INS-11/13', text: pick(`吊顶铜管分别用 ${insulation}mm 保温管保温`, `Ceiling copper pipes insulated separately (${insulation} mm)`) },
        { key: 'drainage', rule: 'INS-06/07', text: pick('墙孔内高外低、已封堵并装盖板,排水顺畅', 'Wall hole slopes outwards, sealed with cover; drainage flows') },
        { key: 'testRun', block: true, rule: 'INS-23', text: pick(`整机试机 ${testRun} 分钟以上,无漏水`, `Test run of ${testRun}+ minutes, no water leak`) },
      ],
    });
  } else {
    lists.push({
      id: 'finish', rule: 'ONS',
      items: [
        { key: 'testRun', block: true, rule: 'ONS-19', text: pick('维修后已试机,运行正常', 'Test run after the repair, works normally') },
        { key: 'sitesCleaned', rule: 'ONS-19', text: pick('机器已擦净,现场已清洁、物品归位', 'Unit wiped, site cleaned, items put back') },
      ],
    });
  }
  return lists;
}
