# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'unlock.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_UnlockDialog(object):
    def setupUi(self, UnlockDialog):
        if not UnlockDialog.objectName():
            UnlockDialog.setObjectName(u"UnlockDialog")
        UnlockDialog.resize(480, 240)
        UnlockDialog.setModal(True)
        self.mainLayout = QVBoxLayout(UnlockDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.storeLabel = QLabel(UnlockDialog)
        self.storeLabel.setObjectName(u"storeLabel")
        self.storeLabel.setText(u"Store")
        self.storeLabel.setWordWrap(True)
        self.storeLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.mainLayout.addWidget(self.storeLabel)

        self.reasonLabel = QLabel(UnlockDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")
        self.reasonLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.reasonLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.passphraseLabel = QLabel(UnlockDialog)
        self.passphraseLabel.setObjectName(u"passphraseLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.passphraseLabel)

        self.passphraseEdit = QLineEdit(UnlockDialog)
        self.passphraseEdit.setObjectName(u"passphraseEdit")
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.passphraseEdit)

        self.rememberCheck = QCheckBox(UnlockDialog)
        self.rememberCheck.setObjectName(u"rememberCheck")
        self.rememberCheck.setChecked(True)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.rememberCheck)


        self.mainLayout.addLayout(self.formLayout)

        self.errorLabel = QLabel(UnlockDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setStyleSheet(u"color: #b00020; font-weight: bold;")
        self.errorLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.errorLabel)

        self.verticalSpacer = QSpacerItem(20, 8, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.verticalSpacer)

        self.buttonBox = QDialogButtonBox(UnlockDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.passphraseLabel.setBuddy(self.passphraseEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.passphraseEdit, self.rememberCheck)

        self.retranslateUi(UnlockDialog)

        QMetaObject.connectSlotsByName(UnlockDialog)
    # setupUi

    def retranslateUi(self, UnlockDialog):
        UnlockDialog.setWindowTitle(QCoreApplication.translate("UnlockDialog", u"Open with Recovery Passphrase", None))
        self.reasonLabel.setText(QCoreApplication.translate("UnlockDialog", u"Enter the recovery passphrase that was chosen when the store was created. It opens the store on any computer; every account then signs in as usual. Opening with it is written to the access log.", None))
        self.passphraseLabel.setText(QCoreApplication.translate("UnlockDialog", u"&Recovery passphrase:", None))
        self.rememberCheck.setText(QCoreApplication.translate("UnlockDialog", u"&Let accounts sign in on this computer (workstation secret in its keyring)", None))
    # retranslateUi

